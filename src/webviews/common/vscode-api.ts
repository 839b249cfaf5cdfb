/** The handle VS Code injects into webviews; typed per panel by the wrapper below. */
interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/**
 * Typed access to the host: messages out are `Out`, messages in are `In`, persisted state is `State`. acquireVsCodeApi
 * may be called once per page, so each panel creates exactly one of these.
 */
export class HostChannel<Out, In, State> {
  private readonly api = acquireVsCodeApi();

  post(message: Out): void {
    this.api.postMessage(message);
  }

  onMessage(listener: (message: In) => void): void {
    window.addEventListener('message', (event: MessageEvent<In>) => listener(event.data));
  }

  get state(): State | undefined {
    return (this.api.getState() as State | null | undefined) ?? undefined;
  }

  set state(value: State) {
    this.api.setState(value);
  }
}
