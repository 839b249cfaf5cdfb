import { PassThrough } from 'node:stream';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import { createConnection } from 'vscode-languageserver/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { SlipwayLanguageServer } from '../../src/server/server';
import type { ServerOptions } from '../../src/server/server';

/** A server and a plain JSON-RPC client joined by in-memory streams. */
export interface Session {
  client: MessageConnection;
  /** Resolves with the next diagnostics published for `uri` that satisfy `accept`. */
  nextDiagnostics(uri: string, accept?: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams>;
  /** Every diagnostics notification received so far, in order. */
  history: PublishDiagnosticsParams[];
  close(): void;
}

export function connect(options?: ServerOptions): Session {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  // Readers and writers rather than raw streams: given streams, the library exits the process when they end.
  new SlipwayLanguageServer(options).listen(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)));
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const published: PublishDiagnosticsParams[] = [];
  const history: PublishDiagnosticsParams[] = [];
  const waiters: (() => void)[] = [];
  client.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    published.push(params);
    history.push(params);
    for (const wake of waiters.splice(0)) wake();
  });
  client.listen();
  return {
    client,
    history,
    nextDiagnostics(uri, accept = () => true) {
      return new Promise((resolve) => {
        const look = () => {
          const index = published.findIndex((p) => p.uri === uri && accept(p));
          if (index >= 0) resolve(published.splice(0, index + 1).at(-1)!);
          else waiters.push(look);
        };
        look();
      });
    },
    close() {
      client.dispose();
    },
  };
}
