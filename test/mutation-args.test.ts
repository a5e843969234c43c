import { parseMutationArgs } from '../scripts/mutation/args';

// `--help` once started a full mutation run of every chunk (hours): every option not in the list must be refused.
describe('npm run test:mutation options', () => {
  it('reads every option, with no line count when --max-lines is absent (each folder has its own)', () => {
    expect(parseMutationArgs([])).toEqual({ only: undefined, concurrency: undefined, maxLines: undefined, missing: false, score: false, list: false });
    expect(parseMutationArgs(['--only', 'compiler/verify', '--concurrency', '4', '--max-lines', '300', '--missing', '--score', '--list'])).toEqual({
      only: 'compiler/verify', concurrency: 4, maxLines: 300, missing: true, score: true, list: true,
    });
  });

  it.each([
    [['--help'], 'unknown option --help'],
    [['-h'], 'unknown option -h'],
    [['compiler/verify'], 'unknown option compiler/verify'],
    [['--only'], '--only needs a value'],
    [['--only', '--missing'], '--only needs a value'],
    [['--concurrency', '0'], '--concurrency must be a positive integer, got 0'],
    [['--concurrency', '2.5'], '--concurrency must be a positive integer, got 2.5'],
    [['--max-lines', 'many'], '--max-lines must be a positive integer, got many'],
  ])('refuses %j: %s', (argv, error) => {
    expect(parseMutationArgs(argv)).toEqual({ error });
  });

  it('takes 1 as the smallest concurrency', () => {
    expect(parseMutationArgs(['--concurrency', '1'])).toMatchObject({ concurrency: 1 });
  });
});
