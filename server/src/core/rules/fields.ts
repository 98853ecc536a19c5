import type { MsgType } from '../types.ts';

/**
 * The payload's fields, from the official parameter table (shared/seed-customer-service-message.md).
 * Validation, completion, hover, quick fixes and the JSON Schema test all read this one table.
 */
export interface FieldInfo {
  key: string;
  required: boolean;
  /** 说明 from the official table. */
  zh: string;
  en: string;
  /** Placeholder inserted by quick fixes and completion. */
  placeholder: string;
  kind?: 'url' | 'page' | 'media' | 'content' | 'openid' | 'object';
  limit?: string;
}

export const ROOT_FIELDS: FieldInfo[] = [
  { key: 'touser', required: false, zh: '普通用户(openid)', en: 'The recipient’s OpenID. Templates may keep a placeholder such as OPENID: the send command fills it in.', placeholder: 'OPENID', kind: 'openid' },
  { key: 'msgtype', required: true, zh: '消息类型，文本为text，图片为image，图文链接为link，小程序卡片为miniprogrampage', en: 'Message type: text, image, link or miniprogrampage.', placeholder: 'text' },
  // Documented on the current send page (developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/
  // kf-mgnt/kf-message/sendCustomMessage.html); WxJava added it to its mini program message (PR #3795).
  { key: 'aimsgcontext', required: false, zh: 'AI 消息上下文（可选），对象 { "msgid": "…" }：本条消息所回复的用户消息', en: 'Optional AI message context, an object { "msgid": "…" }: the user message this one answers (used by WeChat’s AI features).', placeholder: '{}', kind: 'object' },
];

/** Objects whose members wxmsg knows: the root, the four bodies and `aimsgcontext`. */
export type ObjectName = 'root' | MsgType | 'aimsgcontext';

/** The members of the root's `aimsgcontext` object. */
export const AIMSGCONTEXT_FIELDS: FieldInfo[] = [
  { key: 'msgid', required: false, zh: '所回复的用户消息的 msgid', en: 'msgid of the user message this message answers (the MsgId of its push).', placeholder: 'MSGID' },
];

export const BODY_FIELDS: Record<MsgType, FieldInfo[]> = {
  text: [
    { key: 'content', required: true, zh: '文本消息内容', en: 'The text. It may hold <a> links that open a page of this mini program.', placeholder: 'Hello World', kind: 'content', limit: 'none documented for mini programs; WeCom documents 2048 bytes (UTF-8) and truncates longer text' },
  ],
  image: [
    { key: 'media_id', required: true, zh: '发送的图片的媒体ID，通过新增素材接口上传图片文件获得', en: 'media_id of an uploaded image (temporary media expire after 3 days).', placeholder: 'MEDIA_ID', kind: 'media' },
  ],
  link: [
    { key: 'title', required: true, zh: '消息标题', en: 'Title of the link card.', placeholder: 'Title' },
    { key: 'description', required: true, zh: '图文链接消息', en: 'Description shown under the title.', placeholder: 'Description' },
    { key: 'url', required: true, zh: '图文链接消息被点击后跳转的链接', en: 'Absolute http(s) URL opened when the card is tapped.', placeholder: 'https://example.com/', kind: 'url' },
    { key: 'thumb_url', required: true, zh: '图文链接消息的图片链接，支持 JPG、PNG 格式，较好的效果为大图 640 X 320，小图 80 X 80', en: 'Absolute http(s) URL of the JPG/PNG thumbnail; 640×320 (large) or 80×80 (small) look best. (The official table calls it picurl.)', placeholder: 'https://example.com/thumb.png', kind: 'url' },
  ],
  miniprogrampage: [
    { key: 'title', required: true, zh: '消息标题', en: 'Title of the mini program card.', placeholder: 'Title' },
    { key: 'pagepath', required: true, zh: '小程序的页面路径，跟app.json对齐，支持参数，比如pages/index/index?foo=bar', en: 'Page of this mini program as in app.json; a query is allowed (pages/index/index?foo=bar).', placeholder: 'pages/index/index', kind: 'page' },
    { key: 'thumb_media_id', required: true, zh: '小程序消息卡片的封面， image类型的media_id，通过新增素材接口上传图片文件获得，建议大小为520*416', en: 'Cover of the card: media_id of an uploaded image, 520×416 recommended.', placeholder: 'THUMB_MEDIA_ID', kind: 'media' },
  ],
};

export const MSGTYPE_DOCS: Record<MsgType, { zh: string; en: string }> = {
  text: { zh: '文本消息', en: 'Text message (may contain mini program text links)' },
  image: { zh: '图片消息', en: 'Image message' },
  link: { zh: '图文链接', en: 'Link card (title, description, URL, thumbnail)' },
  miniprogrampage: { zh: '小程序卡片', en: 'Mini program card opening a page' },
};

export const LINK_ATTRIBUTE_DOCS: Record<string, { zh: string; en: string }> = {
  href: { zh: '对于不支持 data-miniprogram-appid 项的客户端版本，仍然跳转 href 中的链接', en: 'Fallback URL for clients older than 6.5.16, which ignore data-miniprogram-appid.' },
  'data-miniprogram-appid': { zh: '填写小程序appid，则表示该链接跳转小程序；必须是该小程序的appid', en: 'This mini program’s own appid: the link then opens the mini program.' },
  'data-miniprogram-path': { zh: '填写小程序路径，路径与app.json中保持一致，可带参数（需同时填写 data-miniprogram-appid，否则被忽略）', en: 'Page path as in app.json; a query is allowed. Used only together with data-miniprogram-appid.' },
};

export function isMsgType(s: unknown): s is MsgType {
  return s === 'text' || s === 'image' || s === 'link' || s === 'miniprogrampage';
}
