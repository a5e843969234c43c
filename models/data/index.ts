/** The corpus layer: reading, normalising, vocabulary, id streams and BPTT batches. */
export * from './tokenize';
export * from './vocab';
export * from './ptb';
export * from './brown';
export * from './corpus';
export * from './batches';
