import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST } from '../extension/fixture';
import { ensureAptPackages } from './host/tools';

// An independent LSP client (Neovim's built-in one, over stdio) receives the same diagnostics as VS Code: the server
// speaks plain LSP, not only what vscode-languageclient expects.

interface Published {
  uri: string;
  diagnostics: { range: unknown; severity: number; code: string; message: string }[];
}

/** Opens `file` (the only checked file in its folder) in headless Neovim and returns the first non-empty diagnostics. */
function diagnosticsFromNeovim(dir: string, file: string): Published {
  const out = join(dir, 'diagnostics.json');
  // Neovim 0.7 API: start_client + buf_attach_client; the handler writes what the server pushed, then quits.
  const lua = `
local out = ${JSON.stringify(out)}
vim.cmd('edit ' .. ${JSON.stringify(join(dir, file))})
vim.bo.filetype = 'yaml'
local id = vim.lsp.start_client({
  cmd = { ${JSON.stringify(process.execPath)}, ${JSON.stringify(join(DIST, 'server.js'))}, '--stdio' },
  root_dir = ${JSON.stringify(dir)},
  handlers = {
    ['textDocument/publishDiagnostics'] = function(_, result)
      if result.diagnostics and #result.diagnostics > 0 then
        local f = io.open(out, 'w'); f:write(vim.fn.json_encode(result)); f:close()
        vim.schedule(function() vim.cmd('qa!') end)
      end
    end,
  },
})
vim.lsp.buf_attach_client(0, id)
vim.defer_fn(function() vim.cmd('cq!') end, 15000)
`;
  const script = join(dir, 'client.lua');
  writeFileSync(script, lua);
  const result = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-c', `luafile ${script}`], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, XDG_STATE_HOME: dir, XDG_DATA_HOME: dir, XDG_CACHE_HOME: dir } });
  assert.equal(result.status, 0, `nvim exited ${result.status} without diagnostics: ${result.stderr}`);
  return JSON.parse(readFileSync(out, 'utf8')) as Published;
}

void test('Neovim as an LSP client gets the missing-dep warning at its range', () => {
  const installed: string[] = [];
  ensureAptPackages(installed, ['neovim']);
  const dir = mkdtempSync(join(tmpdir(), 'slipway-nvim-'));
  writeFileSync(join(dir, 'dvc.yaml'), 'stages:\n  train:\n    cmd: python train.py\n    deps:\n    - nowhere.csv\n');
  const published = diagnosticsFromNeovim(dir, 'dvc.yaml');
  assert.ok(published.uri.endsWith('/dvc.yaml'));
  assert.equal(published.diagnostics.length, 1);
  const [d] = published.diagnostics;
  assert.equal(d!.code, 'dvc/missing-dep');
  assert.equal(d!.severity, 2);
  assert.deepEqual(d!.range, { start: { line: 4, character: 6 }, end: { line: 4, character: 17 } });
});

void test('Neovim gets slipway.yaml errors: an unknown key at its range', () => {
  ensureAptPackages([], ['neovim']);
  const dir = mkdtempSync(join(tmpdir(), 'slipway-nvim-'));
  writeFileSync(join(dir, 'slipway.yaml'), 'version: 1\nservng: {}\n');
  const published = diagnosticsFromNeovim(dir, 'slipway.yaml');
  assert.ok(published.uri.endsWith('/slipway.yaml'));
  assert.deepEqual(published.diagnostics.map((d) => [d.code, d.severity, d.range]), [['config/unknown-key', 1, { start: { line: 1, character: 0 }, end: { line: 1, character: 6 } }]]);
});
