import type { SteadySocketOptions } from '../options';

/** Options of `new SharedSteadySocket(url, protocols, options)`: those of `SteadySocket`, and a name. */
export interface SharedSteadySocketOptions extends SteadySocketOptions {
  /**
   * Names the shared connection: every tab (or worker) of this origin that uses the same name shares one. Required
   * when the URL or the protocols are a function. @default the URL and the protocols
   */
  name?: string;
}
