import { Position } from '@kasho/contracts';
import { ApplyState } from './apply-state';

describe('ApplyState (what the apply readiness check sees)', () => {
  it('clears a connection error as soon as streaming resumes', () => {
    const state = new ApplyState();
    state.failed('14 UNAVAILABLE: Connection dropped', false);
    expect(state.lastError).toBeDefined();
    state.set('streaming');
    expect(state.lastError).toBeUndefined();
  });

  it('keeps an error at a change until that change commits (I6), across reconnects', () => {
    const state = new ApplyState();
    state.failed('cannot apply insert on public.t at position 5-0: boom');
    state.set('waiting-for-lock');
    state.set('streaming');
    expect(state.lastError).toContain('position 5-0');
    state.committed(Position.parse('5-1'), 1n, 1, 1);
    expect(state.lastError).toBeUndefined();
    state.failed('connection lost', false);
    state.set('streaming');
    expect(state.lastError).toBeUndefined();
  });

  it('exposes the position of the change it is stopped at (kasho skip names it) until a commit passes it', () => {
    const state = new ApplyState();
    state.failed('public.t.c at position 7-2: Regex failed', true, '7-2');
    expect(state.stuckAt).toBe('7-2');
    state.failed('14 UNAVAILABLE', false);
    expect(state.stuckAt).toBe('7-2');
    state.committed(Position.parse('7-5'), 1n, 0, 1);
    expect(state.stuckAt).toBeUndefined();
  });
});
