import { CellKind } from '../config';
import { egruForward, gruForward } from './gru-family';
import { lstmForward } from './lstm';
import { CellForward } from './types';

export * from './types';

export const cellForward: Record<CellKind, CellForward> = { egru: egruForward, gru: gruForward, lstm: lstmForward };
