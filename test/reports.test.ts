/** Terminal tables of cli/reports.ts: a perplexity always says over how many tokens it was measured. */
import { perplexityColumn } from '../cli/reports';

describe('perplexityColumn', () => {
  it('puts a shared token count in the header', () => {
    expect(perplexityColumn('perplexity', [{ perplexity: 205.64, tokens: 300 }, { perplexity: 199.24, tokens: 300, extra: ' (fp32 199.4)' }])).toEqual({
      header: 'perplexity (300 tokens)', cells: ['205.6', '199.2 (fp32 199.4)'],
    });
  });

  it('names each cell’s own count when the rows were measured over different tokens', () => {
    expect(perplexityColumn('test ppl', [{ perplexity: 172.1, tokens: 106781 }, { perplexity: 209.2, tokens: 5000 }])).toEqual({
      header: 'test ppl (tokens)', cells: ['172.1 (106,781)', '209.2 (5,000)'],
    });
  });
});
