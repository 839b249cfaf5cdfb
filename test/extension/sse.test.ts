import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SseParser } from '../../src/extension/connection/sse';

const cases: { name: string; chunks: string[]; events: { event: string; data: string }[] }[] = [
  { name: 'named events', chunks: ['event: hello\ndata: {"seq":3}\n\nevent: change\ndata: {"seq":4}\n\n'], events: [{ event: 'hello', data: '{"seq":3}' }, { event: 'change', data: '{"seq":4}' }] },
  { name: 'split anywhere, even inside CRLF', chunks: ['event: ch', 'ange\r', '\ndata: x\r\n\r', '\n'], events: [{ event: 'change', data: 'x' }] },
  { name: 'comments and pings are not events', chunks: [': ping\n\n', ': ping\n', 'data: a\n\n'], events: [{ event: 'message', data: 'a' }] },
  { name: 'multi-line data joins with newlines; no space after colon', chunks: ['data:one\ndata: two\n\n'], events: [{ event: 'message', data: 'one\ntwo' }] },
  { name: 'an event without data is dropped and does not leak its name', chunks: ['event: change\n\ndata: b\n\n'], events: [{ event: 'message', data: 'b' }] },
  { name: 'an unfinished event waits for its blank line', chunks: ['event: change\ndata: c\n'], events: [] },
];

for (const c of cases) {
  void test(`SSE parser: ${c.name}`, () => {
    const parser = new SseParser();
    const got = c.chunks.flatMap((chunk) => parser.push(chunk)).map(({ event, data }) => ({ event, data }));
    assert.deepEqual(got, c.events);
  });
}
