/** Waiting for work with a time limit, leaving no timer behind. */
import { orAfter, within } from '../../../src/shared/clock';

const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('orAfter', () => {
  it('when the work finishes in time, then its value is returned and late() is never called', async () => {
    const late = jest.fn(() => 'late');
    await expect(orAfter(after(5, 'done'), 1000, late)).resolves.toBe('done');
    expect(late).not.toHaveBeenCalled();
  });

  it('when the work takes too long, then late() answers', async () => {
    await expect(orAfter(after(200, 'done'), 5, () => 'late')).resolves.toBe('late');
  });

  it('when the work fails in time, then the failure passes through', async () => {
    await expect(orAfter(Promise.reject(new Error('boom')), 1000, () => 'late')).rejects.toThrow('boom');
  });

  it('when within() waits, then it says whether the work finished in time', async () => {
    await expect(within(after(5, 1), 1000)).resolves.toBe(true);
    await expect(within(after(200, 1), 5)).resolves.toBe(false);
  });
});
