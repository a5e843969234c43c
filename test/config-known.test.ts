/**
 * models/config.ts on hand-worked cases: the width helpers, weightCount (every term told apart, each total added
 * up by hand in the comments) and validateConfig (a hand-broken config per check, its exact message, each
 * boundary on both sides).
 */
import {
  MODEL_LIMITS, ModelConfig, UserError, decoderInputSize, gateCount, layerInputSize, validateConfig, weightCount,
} from '../models/config';
import { configFromArgs } from '../pipeline/flags';
import { expectedShapes } from '../models/params';

/** A small valid config: every size different (vocabulary 10, embedding 4, one layer of 6, untied). */
const base = (over: Partial<ModelConfig> = {}): ModelConfig => ({
  cell: 'egru', vocabSize: 10, emb: 4, layers: [6], tied: false, projection: 0, surrogateGamma: 0.3, surrogateSupport: 10, ...over,
});

/** validateConfig's verdict: 'accepted', or the message of the UserError it throws (anything else fails the test). */
function verdict(config: ModelConfig): string {
  try {
    validateConfig(config);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  return 'accepted';
}

describe('gateCount, layerInputSize, decoderInputSize', () => {
  it('counts 3 gate blocks for egru and gru (z, r, g), 4 for lstm (i, f, g, o)', () => {
    expect(gateCount('egru')).toBe(3);
    expect(gateCount('gru')).toBe(3);
    expect(gateCount('lstm')).toBe(4);
  });

  it('feeds layer 0 the embedding and every later layer the one before it', () => {
    const config = base({ emb: 4, layers: [5, 2, 9] });
    expect(layerInputSize(config, 0)).toBe(4);
    expect(layerInputSize(config, 1)).toBe(5);
    expect(layerInputSize(config, 2)).toBe(2);
  });

  it('feeds the decoder the last layer, or the projection when there is one', () => {
    expect(decoderInputSize(base({ layers: [5, 2, 9] }))).toBe(9);
    expect(decoderInputSize(base({ layers: [5, 2, 9], projection: 3 }))).toBe(3);
    expect(decoderInputSize(base({ layers: [7], projection: 1 }))).toBe(1);
  });
});

describe('weightCount', () => {
  it('one layer, untied, no projection: gru as egru without thresholds, lstm with a fourth gate block', () => {
    // V 10, E 4, layers [6]:
    //   embedding            10·4                 =  40
    //   layer 0 (3 gates)    3·6·(4 + 6 + 2) + 6  = 18·12 + 6 = 222   (kernel 3·6·4, recurrent 3·6·6, two biases 3·6 each, threshold 6)
    //   decoder weight       6·10                 =  60
    //   decoder bias         10                   =  10
    //   total                                       332
    expect(weightCount(base())).toBe(332);
    // gru: no thresholds (only an EGRU has them, models/params.ts), 6 fewer: 326
    expect(weightCount(base({ cell: 'gru' }))).toBe(326);
    // lstm: layer 0 is 4·6·12 = 288, so 40 + 288 + 60 + 10 = 398
    expect(weightCount(base({ cell: 'lstm' }))).toBe(398);
  });

  it('three layers of different widths with a projection, tied and untied, lstm and gru', () => {
    // lstm, V 7, E 3, layers [5, 2, 9], projection 3, tied:
    //   embedding            7·3                  =  21
    //   layer 0 (in 3)       4·5·(3 + 5 + 2)      = 20·10 = 200   (no thresholds: not an EGRU)
    //   layer 1 (in 5)       4·2·(5 + 2 + 2)      =  8·9  =  72
    //   layer 2 (in 2)       4·9·(2 + 9 + 2)      = 36·13 = 468
    //   projection           9·3 + 3              =  30
    //   decoder weight       tied: none           =   0
    //   decoder bias         7                    =   7
    //   total                                       798
    const tied: ModelConfig = { ...base(), cell: 'lstm', vocabSize: 7, emb: 3, layers: [5, 2, 9], projection: 3, tied: true };
    expect(weightCount(tied)).toBe(798);
    // untied: the decoder reads the projection's 3 values, 3·7 = 21 more: 819
    expect(weightCount({ ...tied, tied: false })).toBe(819);
    // gru, tied: layers 3·5·10 = 150, 3·2·9 = 54, 3·9·13 = 351; 21 + 150 + 54 + 351 + 30 + 7 = 613
    expect(weightCount({ ...tied, cell: 'gru' })).toBe(613);
    // egru, tied: the same plus thresholds 5 + 2 + 9 = 16: 629
    expect(weightCount({ ...tied, cell: 'egru' })).toBe(629);
  });

  it('equals the tensors models/params.ts makes for the config, counted another way (every cell, tied or not)', () => {
    for (const cell of ['egru', 'gru', 'lstm'] as const)
      for (const tied of [false, true]) {
        const config: ModelConfig = { ...base(), cell, vocabSize: 7, emb: 3, layers: [5, 2, 9], projection: 3, tied };
        const sizes = Object.values(expectedShapes(config)).map((shape) => shape.reduce((a, b) => a * b, 1));
        expect(weightCount(config)).toBe(sizes.reduce((a, b) => a + b, 0));
      }
  });

  it('two layers, untied, no projection: the decoder reads the last layer', () => {
    // egru, V 11, E 2, layers [3, 8]:
    //   embedding            11·2                 =  22
    //   layer 0 (in 2)       3·3·(2 + 3 + 2) + 3  =  9·7  + 3 =  66
    //   layer 1 (in 3)       3·8·(3 + 8 + 2) + 8  = 24·13 + 8 = 320
    //   decoder weight       8·11                 =  88
    //   decoder bias         11                   =  11
    //   total                                       507
    expect(weightCount(base({ vocabSize: 11, emb: 2, layers: [3, 8] }))).toBe(507);
  });
});

describe('validateConfig', () => {
  it('accepts the small configs above', () => {
    expect(verdict(base())).toBe('accepted');
    expect(verdict(base({ cell: 'lstm', vocabSize: 7, emb: 3, layers: [5, 2, 9], projection: 3, tied: true }))).toBe('accepted');
    expect(verdict(base({ emb: 6, tied: true }))).toBe('accepted');
  });

  it('accepts the vocabulary limit and refuses one word more', () => {
    // E 1, layers [1]: 3·V + 13 weights, about 3.1 million, far from the weight limit
    expect(MODEL_LIMITS.vocabSize).toBe(1_048_576);
    expect(verdict(base({ vocabSize: 1_048_576, emb: 1, layers: [1] }))).toBe('accepted');
    expect(verdict(base({ vocabSize: 1_048_577, emb: 1, layers: [1] }))).toBe(
      "vocabulary size 1048577 is larger than neuromap's limit of 1,048,576",
    );
  });

  it('accepts the width limit for the embedding and the projection, and refuses one more', () => {
    // V 2, E 65,536, layers [1]: 2·65,536 + 3·(65,536 + 3) + 1 + 2 + 2, about 330,000 weights
    expect(MODEL_LIMITS.width).toBe(65_536);
    expect(verdict(base({ vocabSize: 2, emb: 65_536, layers: [1] }))).toBe('accepted');
    expect(verdict(base({ vocabSize: 2, emb: 65_537, layers: [1] }))).toBe("embedding size 65537 is larger than neuromap's limit of 65,536");
    // V 2, E 1, layers [1], projection 65,536: 2 + 13 + 65,536·2 + 2·65,536 + 2, about 260,000 weights
    expect(verdict(base({ vocabSize: 2, emb: 1, layers: [1], projection: 65_536 }))).toBe('accepted');
    expect(verdict(base({ vocabSize: 2, emb: 1, layers: [1], projection: 65_537 }))).toBe(
      "projection size 65537 is larger than neuromap's limit of 65,536",
    );
  });

  it('holds a layer of the width limit to the weight limit only, and refuses one unit more as too wide', () => {
    // V 2, E 1, layers [65,536], untied egru:
    //   embedding 2; layer 0: 3·65,536·(1 + 65,536 + 2) + 65,536 = 196,608·65,539 + 65,536
    //     = 12,884,901,888 + 589,824 + 65,536 = 12,885,557,248; decoder 65,536·2 = 131,072; bias 2
    //   total 2 + 12,885,557,248 + 131,072 + 2 = 12,885,688,324
    expect(verdict(base({ vocabSize: 2, emb: 1, layers: [65_536] }))).toBe(
      "number of weights 12885688324 is larger than neuromap's limit of 200,000,000",
    );
    // one unit wider: refused for its width, and the weights are not counted (their limit is checked last)
    expect(verdict(base({ vocabSize: 2, emb: 1, layers: [1, 65_537] }))).toBe("layer 1 size 65537 is larger than neuromap's limit of 65,536");
  });

  it('accepts 64 layers and refuses 65', () => {
    expect(MODEL_LIMITS.layers).toBe(64);
    expect(verdict(base({ layers: Array(64).fill(2) }))).toBe('accepted');
    expect(verdict(base({ layers: Array(65).fill(2) }))).toBe("number of layers 65 is larger than neuromap's limit of 64");
  });

  it('accepts exactly the weight limit and refuses one weight more', () => {
    // untied egru, E, layers [h], V: V·(E + h + 1) + 3h·(E + h + 2) + h (embedding, decoder weight and bias; layer 0)
    // E 49, h 150, V 999,547: 999,547·200 = 199,909,400; 3·150·201 + 150 = 90,600; total 200,000,000
    expect(MODEL_LIMITS.weights).toBe(200_000_000);
    expect(verdict(base({ vocabSize: 999_547, emb: 49, layers: [150] }))).toBe('accepted');
    // E 5, h 195, V 994,436: 994,436·201 = 199,881,636; 3·195·202 + 195 = 118,365; total 200,000,001
    expect(verdict(base({ vocabSize: 994_436, emb: 5, layers: [195] }))).toBe(
      "number of weights 200000001 is larger than neuromap's limit of 200,000,000",
    );
  });

  it('lists every limit problem in order, and counts no weights then', () => {
    // 65 layers, layer 3 too wide, far over the weight limit too: only the sizes are named
    const layers = Array(65).fill(1);
    layers[3] = 70_000;
    expect(verdict(base({ vocabSize: 2_000_000, emb: 100_000, projection: 80_000, layers }))).toBe(
      "vocabulary size 2000000 is larger than neuromap's limit of 1,048,576; " +
        "embedding size 100000 is larger than neuromap's limit of 65,536; " +
        "projection size 80000 is larger than neuromap's limit of 65,536; " +
        "number of layers 65 is larger than neuromap's limit of 64; " +
        "layer 3 size 70000 is larger than neuromap's limit of 65,536",
    );
  });

  it('refuses an unknown cell', () => {
    expect(verdict(base({ cell: 'rnn' as ModelConfig['cell'] }))).toBe('cell must be egru, gru or lstm (got rnn)');
  });

  it('accepts a vocabulary of 2 and refuses 1 (or no number)', () => {
    expect(verdict(base({ vocabSize: 2 }))).toBe('accepted');
    expect(verdict(base({ vocabSize: 1 }))).toBe('vocabulary size must be an integer of at least 2 (got 1)');
    expect(verdict(base({ vocabSize: NaN }))).toBe('vocabulary size must be an integer of at least 2 (got NaN)');
  });

  it('accepts an embedding of 1 and refuses 0', () => {
    expect(verdict(base({ emb: 1 }))).toBe('accepted');
    expect(verdict(base({ emb: 0 }))).toBe('embedding size must be a positive integer (got 0)');
    expect(verdict(base({ emb: NaN }))).toBe('embedding size must be a positive integer (got NaN)');
  });

  it('wants at least one layer, each a positive integer', () => {
    const message = (got: string) => `layers must be a non-empty list of positive integers (got ${got})`;
    expect(verdict(base({ layers: [1] }))).toBe('accepted');
    expect(verdict(base({ layers: [] }))).toBe(message('an empty list'));
    expect(verdict(base({ layers: [0] }))).toBe(message('0'));
    expect(verdict(base({ layers: [6, 1.5] }))).toBe(message('6,1.5'));
    expect(verdict(base({ layers: [-3, 6] }))).toBe(message('-3,6'));
  });

  it('wants a tied decoder to read as many values as the embedding holds, and says how to get there', () => {
    expect(verdict(base({ emb: 4, layers: [6], tied: true }))).toBe(
      'a tied decoder needs the last layer (or projection) size 6 to equal the embedding size 4: use --emb 6, end --layers with 4, or pass --no-tied',
    );
    // with a projection, the projection is what the decoder reads
    expect(verdict(base({ emb: 4, layers: [4], projection: 5, tied: true }))).toBe(
      'a tied decoder needs the last layer (or projection) size 5 to equal the embedding size 4: use --emb 5, end --layers with 4, or pass --no-tied',
    );
    expect(verdict(base({ emb: 4, layers: [6], projection: 4, tied: true }))).toBe('accepted');
    // No advice between sizes that are themselves wrong ("size undefined", "end --layers with 0"): their own
    // problem is named, once.
    expect(verdict(base({ layers: [], tied: true }))).toBe('layers must be a non-empty list of positive integers (got an empty list)');
    expect(verdict(base({ emb: 0, layers: [6], tied: true }))).toBe('embedding size must be a positive integer (got 0)');
    expect(verdict(base({ emb: 4, layers: [6], projection: -4, tied: true }))).toBe('projection size must be 0 (none) or a positive integer (got -4)');
    // Valid sizes that differ still get it, also next to another problem.
    expect(verdict(base({ vocabSize: 1, emb: 4, layers: [6], tied: true }))).toBe(
      'vocabulary size must be an integer of at least 2 (got 1); ' +
        'a tied decoder needs the last layer (or projection) size 6 to equal the embedding size 4: use --emb 6, end --layers with 4, or pass --no-tied',
    );
  });

  it('joins several problems with "; ", in order, the weight limit among them when no size is over its limit', () => {
    expect(verdict(base({ cell: 'rnn' as ModelConfig['cell'], vocabSize: 1, emb: 0, layers: [0, 2], tied: true }))).toBe(
      'cell must be egru, gru or lstm (got rnn); vocabulary size must be an integer of at least 2 (got 1); embedding size must be a positive integer (got 0); ' +
        'layers must be a non-empty list of positive integers (got 0,2)',
    );
    // V 1, E 1, layers [65,536] (untied egru): 1 + 12,885,557,248 + 65,536 + 1 = 12,885,622,786 weights
    expect(verdict(base({ vocabSize: 1, emb: 1, layers: [65_536] }))).toBe(
      "number of weights 12885622786 is larger than neuromap's limit of 200,000,000; vocabulary size must be an integer of at least 2 (got 1)",
    );
  });
});

describe('validateConfig on values no model can have (an API caller, an import, a file from elsewhere)', () => {
  it('wants whole numbers for the vocabulary and the embedding', () => {
    expect(verdict(base({ vocabSize: 2.5 }))).toBe('vocabulary size must be an integer of at least 2 (got 2.5)');
    expect(verdict(base({ vocabSize: 1 }))).toBe('vocabulary size must be an integer of at least 2 (got 1)');
    expect(verdict(base({ emb: 2.5 }))).toBe('embedding size must be a positive integer (got 2.5)');
    expect(verdict(base({ emb: 0 }))).toBe('embedding size must be a positive integer (got 0)');
  });

  it('wants the projection to be 0 (none) or a positive integer', () => {
    const message = (got: string) => `projection size must be 0 (none) or a positive integer (got ${got})`;
    expect(verdict(base({ projection: 0 }))).toBe('accepted');
    expect(verdict(base({ projection: 1 }))).toBe('accepted');
    expect(verdict(base({ projection: -1 }))).toBe(message('-1'));
    expect(verdict(base({ projection: 2.5 }))).toBe(message('2.5'));
    expect(verdict(base({ projection: NaN }))).toBe(message('NaN'));
  });

  it('wants the surrogate in the ranges `neuromap train` allows: γ finite and 0 or more, support finite and above 0', () => {
    const gamma = (got: string) => `surrogate gamma must be a finite number of 0 or more (got ${got})`;
    const support = (got: string) => `surrogate support must be a finite number greater than 0 (got ${got})`;
    expect(verdict(base({ surrogateGamma: 0 }))).toBe('accepted');
    expect(verdict(base({ surrogateGamma: -0.1 }))).toBe(gamma('-0.1'));
    expect(verdict(base({ surrogateGamma: NaN }))).toBe(gamma('NaN'));
    expect(verdict(base({ surrogateGamma: Infinity }))).toBe(gamma('Infinity'));
    expect(verdict(base({ surrogateSupport: 1e-9 }))).toBe('accepted');
    expect(verdict(base({ surrogateSupport: 0 }))).toBe(support('0'));
    expect(verdict(base({ surrogateSupport: -1 }))).toBe(support('-1'));
    expect(verdict(base({ surrogateSupport: NaN }))).toBe(support('NaN'));
    expect(verdict(base({ surrogateSupport: Infinity }))).toBe(support('Infinity'));
  });

  it('puts the new checks in order among the others', () => {
    expect(verdict(base({ vocabSize: 2.5, emb: 0.5, projection: -2, layers: [], surrogateGamma: -1, surrogateSupport: 0 }))).toBe(
      'vocabulary size must be an integer of at least 2 (got 2.5); embedding size must be a positive integer (got 0.5); ' +
        'projection size must be 0 (none) or a positive integer (got -2); layers must be a non-empty list of positive integers (got an empty list); ' +
        'surrogate gamma must be a finite number of 0 or more (got -1); surrogate support must be a finite number greater than 0 (got 0)',
    );
  });

  it('leaves `neuromap train`\'s out-of-range surrogate flags to the flag check alone (one message, not two)', () => {
    const refusal = (flags: Record<string, unknown>) => {
      try {
        configFromArgs(flags, 10);
      } catch (err) {
        return (err as Error).message;
      }
      return 'accepted';
    };
    expect(refusal({ 'surrogate-gamma': -1 })).toBe('--surrogate-gamma must be 0 or more (got -1)');
    expect(refusal({ 'surrogate-support': 0 })).toBe('--surrogate-support must be greater than 0 (got 0)');
    expect(refusal({ 'surrogate-support': NaN })).toBe('--surrogate-support must be greater than 0 (got NaN)');
  });
});
