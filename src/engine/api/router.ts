import type { IncomingMessage, ServerResponse } from 'node:http';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Path parameters captured by `*` (the rest of the path) in the route pattern. */
  rest: string;
}

export interface Route {
  method: Method;
  /** Exact path, or a prefix ending in `/*` that captures the rest. */
  path: string;
  /** Reads that MLflow sends as POST (searches) are not mutating and need no token. */
  mutating: boolean;
  handle(ctx: RouteContext): Promise<void> | void;
}

/** Finds the route for a method and path; `methodMismatch` says the path exists under another method. */
export function matchRoute(routes: readonly Route[], method: string, pathname: string): { route: Route; rest: string } | { methodMismatch: boolean } {
  let pathExists = false;
  for (const route of routes) {
    let rest: string | null = null;
    if (route.path.endsWith('/*')) {
      const prefix = route.path.slice(0, -1);
      if (pathname.startsWith(prefix)) rest = pathname.slice(prefix.length);
    } else if (route.path === pathname) {
      rest = '';
    }
    if (rest === null) continue;
    pathExists = true;
    if (route.method === method) return { route, rest };
  }
  return { methodMismatch: pathExists };
}
