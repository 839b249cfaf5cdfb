// Entry of a standalone serve process (`node serve.js --model-file … --schema …`), bundled into deploy contexts.
import { serveMain } from './serve';

void serveMain(process.argv.slice(2));
