import { copyOptions } from './copy-options';

describe('copyOptions', () => {
  it('names binary and leaves text, COPY’s default, without options', () => {
    expect(`COPY t TO STDOUT${copyOptions('binary')}`).toBe('COPY t TO STDOUT WITH (FORMAT binary)');
    expect(`COPY t FROM STDIN${copyOptions('text')}`).toBe('COPY t FROM STDIN');
  });
});
