import { Position } from '@kasho/contracts';
import type { ResyncFilter } from '../resync/resync-filter';
import type { TableResyncService } from '../resync/table-resync.service';
import { ApplyState } from '../state/apply-state';
import type { CopyTransformers } from '../copy-transform/copy-transformers';
import { SnapshotCoordinator } from './snapshot-coordinator.service';
import type { SnapshotOptions } from './snapshot.module-definition';
import type { SnapshotRunner } from './snapshot-runner.service';

const session = { name: 'target session' };
jest.mock('@kasho/apply', () => ({
  ...jest.requireActual('@kasho/apply'),
  openTargetSession: jest.fn(async () => session),
  ensureSnapshotTables: jest.fn(async () => undefined),
}));
jest.mock('@kasho/runtime', () => ({ ...jest.requireActual('@kasho/runtime'), closePg: jest.fn(async () => undefined) }));

const applied = Position.parse('100-0');

function coordinator(mode: SnapshotOptions['mode'], interrupted = false) {
  const runner = { inProgress: jest.fn(async () => interrupted), run: jest.fn(async () => Position.parse('200-0')) };
  const filter = { load: jest.fn(async () => undefined) };
  const transformers = { close: jest.fn(async () => undefined) };
  const state = new ApplyState();
  const subject = new SnapshotCoordinator(
    runner as unknown as SnapshotRunner,
    {} as TableResyncService,
    filter as unknown as ResyncFilter,
    transformers as unknown as CopyTransformers,
    { mode, workers: 2, targetUrl: 'postgresql://target/db' },
    state,
  );
  return { subject, runner, filter, transformers, state };
}

const signal = new AbortController().signal;

describe('SnapshotCoordinator.beforeFollow', () => {
  it('auto: runs the snapshot when the target has no Kasho position, in the snapshot phase', async () => {
    const { subject, runner, filter, state } = coordinator('auto');
    expect(await subject.beforeFollow({ position: applied, commitEndLsn: null, targetId: 't1' }, signal)).toBe(true);
    expect(runner.run).toHaveBeenCalledWith(applied, 't1', signal);
    expect(state.phase).toBe('snapshot');
    expect(filter.load).not.toHaveBeenCalled();
  });

  it('auto: resumes an interrupted snapshot; otherwise closes the transform threads and loads the resync filter', async () => {
    const interrupted = coordinator('auto', true);
    expect(await interrupted.subject.beforeFollow({ position: applied, commitEndLsn: '90', targetId: 't1' }, signal)).toBe(true);
    expect(interrupted.runner.run).toHaveBeenCalledTimes(1);

    const done = coordinator('auto', false);
    expect(await done.subject.beforeFollow({ position: applied, commitEndLsn: '90', targetId: 't1' }, signal)).toBe(false);
    expect(done.runner.run).not.toHaveBeenCalled();
    expect(done.transformers.close).toHaveBeenCalled();
    expect(done.filter.load).toHaveBeenCalledWith(session, applied);
  });

  it('always: redoes the snapshot once per process start', async () => {
    const { subject, runner } = coordinator('always');
    expect(await subject.beforeFollow({ position: applied, commitEndLsn: '90', targetId: 't1' }, signal)).toBe(true);
    expect(await subject.beforeFollow({ position: Position.parse('200-0'), commitEndLsn: '200', targetId: 't1' }, signal)).toBe(false);
    expect(runner.run).toHaveBeenCalledTimes(1);
  });

  it('never: follows the stream even on an empty target', async () => {
    const { subject, runner, filter } = coordinator('never');
    expect(await subject.beforeFollow({ position: Position.ZERO, commitEndLsn: null, targetId: 't1' }, signal)).toBe(false);
    expect(runner.inProgress).not.toHaveBeenCalled();
    expect(runner.run).not.toHaveBeenCalled();
    expect(filter.load).toHaveBeenCalled();
  });
});
