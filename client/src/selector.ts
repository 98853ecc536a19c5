/** Documents the extension serves: the wxmsg language, and any *.wxmsg.json opened as something else. */
export const SELECTOR = [{ language: 'wxmsg' }, { pattern: '**/*.wxmsg.json' }];

export const LANGUAGE_ID = 'wxmsg';
