// The ES module page: imports the package by name; Vite bundles it from the built dist/ (see e2e/vite.config.ts).
import { SteadySocket } from 'steadysocket';
import { JsonChannel } from 'steadysocket/json';

const scope = self as unknown as {
  run: (name: string, params: object) => Promise<unknown>;
  runScenario: (ctor: typeof SteadySocket, name: string, params: object) => Promise<unknown>;
  JsonChannel: typeof JsonChannel;
};
scope.JsonChannel = JsonChannel; // for e2e/pages/scenarios-json.js
scope.run = (name, params) => scope.runScenario(SteadySocket, name, params);
