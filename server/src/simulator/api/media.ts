import { err, json, type Answer } from '../answer.ts';
import { SIM_MAX_IMAGE_BYTES } from '../constants.ts';
import { formFile } from '../multipart.ts';
import { imageTypeOf } from '../payload.ts';
import type { ApiContext } from './context.ts';
import { checkToken } from './tokens.ts';

/**
 * POST /cgi-bin/media/upload?access_token=&type=image, multipart field `media`
 *   → {errcode:0, errmsg:"ok", type, media_id (64 characters), created_at}
 *   40004 not type=image / not an image, 41005 no file in `media` (or a body that is not
 *   multipart/form-data or does not parse), 44001 empty file, 40009 over 10 MB.
 * The body was capped before it got here (SIM_LIMITS.uploadBody: HTTP 413 beyond it).
 */
export async function upload(ctx: ApiContext, url: URL, body: Buffer, contentType: string | undefined): Promise<Answer> {
  const auth = checkToken(ctx, url);
  if ('status' in auth) return auth;
  if (url.searchParams.get('type') !== 'image') return err(40004);
  const part = await formFile(body, contentType, 'media');
  // 41005 "media data missing": what WeChat answers an upload it finds no file in.
  if ('missing' in part) return err(41005);
  const file = part.file;
  // 44001 "empty media data" (shared/wechat-api-facts.md, "Other codes users of these calls see").
  if (file.length === 0) return err(44001);
  if (file.length > SIM_MAX_IMAGE_BYTES) return err(40009);
  const type = imageTypeOf(file);
  if (!type) return err(40004);
  const created = Math.floor(ctx.clock.now() / 1000);
  const mediaId = ctx.state.addMedia(auth.appid, file, type);
  // The newer official upload sample answers errcode 0 / "ok" next to the media fields.
  return json({ errcode: 0, errmsg: 'ok', type: 'image', media_id: mediaId, created_at: created });
}

/** GET /cgi-bin/media/get?access_token=&media_id= (getTempMedia): the file; 41006 no media_id, 40007 unknown or over 3 days. */
export function getMedia(ctx: ApiContext, url: URL): Answer {
  const auth = checkToken(ctx, url);
  if ('status' in auth) return auth;
  const id = url.searchParams.get('media_id');
  if (!id) return err(41006);
  const m = ctx.state.mediaFile(id);
  if (!m || !ctx.state.issuedMedia(auth.appid, id)) return err(40007);
  const ext = m.type === 'image/jpeg' ? 'jpg' : m.type.slice('image/'.length);
  return { status: 200, body: '', bytes: m.data, contentType: m.type, headers: { 'content-disposition': `attachment; filename="${id}.${ext}"` } };
}
