import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Projects } from '../server/src/lsp/project.ts';
import { validate } from '../server/src/core/services/validate.ts';

test('editor messages name project files relative to the workspace folder', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-proj-'));
  fs.writeFileSync(path.join(dir, 'project.config.json'), '{"appid":"wxOWN","miniprogramRoot":"mp/"}');
  fs.mkdirSync(path.join(dir, 'mp'));
  fs.writeFileSync(path.join(dir, 'mp', 'app.json'), '{"pages":["pages/a/a"]}');
  const projects = new Projects();
  projects.setFolders([pathToFileURL(dir).href]);
  const ctx = projects.contextFor(pathToFileURL(path.join(dir, 't', 'x.wxmsg.json')).href, { rules: {} });
  assert.equal(ctx.appidSource, 'project.config.json');
  assert.equal(ctx.pagesSource, path.join('mp', 'app.json'));
  const [d] = validate('{"msgtype":"text","text":{"content":"<a href=\\"https://a.example\\" data-miniprogram-appid=\\"wxOTHER\\" data-miniprogram-path=\\"pages/a/a\\">x</a>"}}', ctx);
  assert.match(d.message, /\(from project\.config\.json\)/);
  assert.doesNotMatch(d.message, new RegExp(dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  // The setting wins and is named as such.
  assert.equal(projects.contextFor(pathToFileURL(path.join(dir, 'x.wxmsg.json')).href, { appid: 'wxSET', rules: {} }).appidSource, 'wxmsg.appid');
});
