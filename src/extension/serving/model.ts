import type { EndpointDiscovery } from '../../shared/serving';
import { Emitter } from '../util/emitter';
import { readEndpoints } from './endpoints';
import type { ServedSource } from './served-state';
import { SerialRefresh } from '../util/serial-refresh';

/**
 * The endpoints served from this workspace, re-read when a file under .slipway/endpoints/ changes (the caller wires
 * a file watcher to `reload`; there is no timer). Fires only when the list actually differs.
 */
export class EndpointsModel implements ServedSource {
  endpoints: EndpointDiscovery[] = [];
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly refresher = new SerialRefresh(() => this.load());

  constructor(
    private readonly root: string,
    private readonly alive?: (pid: number) => boolean,
  ) {}

  reload(): Promise<void> {
    return this.refresher.run();
  }

  private async load(): Promise<void> {
    const next = await readEndpoints(this.root, this.alive);
    if (JSON.stringify(next) === JSON.stringify(this.endpoints)) return;
    this.endpoints = next;
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
