/** Diagnostics are the one piece of metadata every pass appends to: done with immer, so earlier stages stay as they were. */
import { produce } from 'immer';
import type { Diagnostic } from './ir';

export function withNotes<T extends { diagnostics: Diagnostic[] }>(ir: T, notes: Diagnostic[]): T {
  return produce(ir, (draft) => {
    // The draft of a generic T is opaque to TypeScript; its diagnostics list is the one field we touch.
    (draft as unknown as { diagnostics: Diagnostic[] }).diagnostics.push(...notes);
  });
}
