/**
 * models/pretrained.ts by known answers: the names pretrained/ ships (README.md is not a model), a shipped name
 * resolved to its file, names that would leave the folder or only end in a shipped name refused with the list, and
 * a copy of neuromap without the folder (fs.existsSync made to answer false for it).
 */
import fs from 'fs';
import path from 'path';
import { UserError } from '../models/config';
import { PRETRAINED_DIR, PRETRAINED_PREFIX, pretrainedNames, resolveModelPath } from '../models/pretrained';

const SHIPPED = 'the shipped ones are pretrained:brown-egru, pretrained:brown-egru-p80, pretrained:brown-egru-p90';

afterEach(() => jest.restoreAllMocks());

describe('pretrained models by name', () => {
  it('lists the three .egru files of pretrained/ by name, sorted, and resolves each', () => {
    expect(PRETRAINED_PREFIX).toBe('pretrained:');
    expect(PRETRAINED_DIR).toBe(path.resolve(__dirname, '..', 'pretrained'));
    expect(pretrainedNames()).toEqual(['brown-egru', 'brown-egru-p80', 'brown-egru-p90']);
    expect(resolveModelPath('pretrained:brown-egru-p80')).toBe(path.join(PRETRAINED_DIR, 'brown-egru-p80.egru'));
    // Only the prefix makes a name: anything else is a path, even one naming a shipped model.
    expect(resolveModelPath('brown-egru')).toBe('brown-egru');
    expect(resolveModelPath('x/pretrained:brown-egru')).toBe('x/pretrained:brown-egru');
  });

  it.each([
    ['no-such-model'],
    // These reach an existing file once joined to the folder, but a name is letters, digits, _, . and - only.
    ['sub/../brown-egru'],
    ['./brown-egru'],
    ['brown-egru/'],
    [''],
  ])('refuses pretrained:%s and lists the shipped ones', (name) => {
    const resolve = () => resolveModelPath(`pretrained:${name}`);
    expect(resolve).toThrow(UserError);
    expect(resolve).toThrow(`no pretrained model "${name}": ${SHIPPED}`);
  });

  it('says so when this copy ships no models', () => {
    const exists = fs.existsSync;
    jest.spyOn(fs, 'existsSync').mockImplementation((p) => p !== PRETRAINED_DIR && exists(p));
    expect(pretrainedNames()).toEqual([]);
    expect(() => resolveModelPath('pretrained:nothing')).toThrow('no pretrained model "nothing": this copy of neuromap ships none');
  });
});
