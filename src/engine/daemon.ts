import { main } from './lifecycle/main';

void main(process.argv.slice(2));
