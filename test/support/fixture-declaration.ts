// A declaration module as a project's package.json would name it for the CLI's bin.
import { fixtureDeclaration } from './fixtures';

export const declaration = fixtureDeclaration;
