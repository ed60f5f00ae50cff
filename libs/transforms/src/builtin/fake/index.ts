import type { Type } from '@nestjs/common';
import * as address from './address.transform';
import * as company from './company.transform';
import * as date from './date.transform';
import * as finance from './finance.transform';
import * as internet from './internet.transform';
import * as person from './person.transform';
import * as text from './text.transform';

/** Every built-in Fake* provider class. */
export const FAKE_TRANSFORMS: Type<unknown>[] = [person, internet, address, company, text, date, finance].flatMap((group) =>
  (Object.values(group) as unknown[]).filter((v): v is Type<unknown> => typeof v === 'function' && v.name.endsWith('Transform')),
);
