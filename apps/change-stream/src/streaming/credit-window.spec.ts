import { Position } from '@kasho/contracts';
import { CreditWindow } from './credit-window';

describe('CreditWindow', () => {
  it('limits changes in flight to the window and frees room on acknowledgement', async () => {
    const window = new CreditWindow(10);
    window.recordSent(6, Position.parse('100-5'));
    window.recordSent(4, Position.parse('200-3'));
    expect(window.room).toBe(0);
    let released = false;
    const waiting = window.waitForRoom().then(() => (released = true));
    await Promise.resolve();
    expect(released).toBe(false);
    window.acknowledge(Position.parse('100-5'));
    await waiting;
    expect(window.room).toBe(6);
    window.acknowledge(Position.parse('150-0'));
    expect(window.room).toBe(6);
    window.acknowledge(Position.parse('200-3'));
    expect(window.room).toBe(10);
  });

  it('also holds back while the bytes in flight reach maxBytes', async () => {
    const window = new CreditWindow(100, 1_000);
    window.recordSent(1, Position.parse('1-0'), 600);
    expect(window.room).toBe(99);
    window.recordSent(1, Position.parse('2-0'), 600);
    expect(window.room).toBe(0);
    let released = false;
    const waiting = window.waitForRoom().then(() => (released = true));
    await Promise.resolve();
    expect(released).toBe(false);
    window.acknowledge(Position.parse('1-0'));
    await waiting;
    expect(window.room).toBe(99);
  });

  it('releases a waiter when closed', async () => {
    const window = new CreditWindow(1);
    window.recordSent(1, Position.parse('1-0'));
    const waiting = window.waitForRoom();
    window.close();
    await expect(waiting).resolves.toBeUndefined();
  });
});
