import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { SlipwayLanguageServer } from './server';

new SlipwayLanguageServer().listen(createConnection(ProposedFeatures.all));
