import { defineFake } from './fake.factory';
import { CARD_TYPES, CURRENCY_CODES, luhnCheckDigit } from './fake-data';

export const FakeCreditCardTypeTransform = defineFake('FakeCreditCardType', {
  format: 'a card brand: `Visa`, `Mastercard`, `American Express`, `Discover`, `JCB` or `Diners Club`',
  generate: (r) => r.pick(CARD_TYPES).name,
});

export const FakeCreditCardNumTransform = defineFake('FakeCreditCardNum', {
  format: 'a Luhn-valid card number, digits only (15 for Amex, 14 for Diners Club, else 16), with a real brand prefix',
  supportsUnique: false,
  generate: (r) => {
    const card = r.pick(CARD_TYPES);
    const prefix = r.pick(card.prefixes);
    const body = prefix + r.digits(card.length - prefix.length - 1);
    return body + luhnCheckDigit(body);
  },
});

export const FakeCurrencyTransform = defineFake('FakeCurrency', {
  format: 'an ISO 4217 currency code, e.g. `EUR`',
  generate: (r) => r.pick(CURRENCY_CODES),
});
