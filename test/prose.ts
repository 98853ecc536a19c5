// Shared by the tests of Chinese output (CLI and editor): is any English prose left?

/** The lines of `text` that hold a word of English prose (three letters or more, not a code, file or flag). */
export function englishProse(text: string, allowed: RegExp[] = []): string[] {
  return text.split('\n').filter((line) => {
    let rest = line;
    for (const a of allowed) rest = rest.replace(a, ' ');
    rest = rest.replace(/\w*…\w*|wxmsg\/[a-z-]+|--?[a-z][\w-]*|[\w./*-]+\.(?:json|html|png)\b|"[^"]*"|https?:\/\/\S+|\b(?:wxmsg|stylish|json|github|sarif|auto|off|ms|HTTP|JSON|URL|msgtype|appid|errcode|errmsg|rid|OpenID|media_id|access_token|AppSecret|token|WeChat)\b/g, ' ');
    return /\b[A-Za-z]{3,}\b/.test(rest);
  });
}
