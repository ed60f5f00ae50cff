import { defineFake } from './fake.factory';
import { companyName, INDUSTRIES, JOB_AREAS, JOB_DESCRIPTORS, JOB_TYPES, productDescription, productName, PRODUCTS } from './fake-data';

export const FakeCompanyTransform = defineFake('FakeCompany', {
  format: 'a company name, e.g. `Schmidt, Rowe and Kris` or `Welch LLC`',
  supportsUnique: true,
  generate: companyName,
});

export const FakeJobTitleTransform = defineFake('FakeJobTitle', {
  format: '`<descriptor> <area> <type>`, e.g. `Senior Brand Supervisor`',
  generate: (r) => `${r.pick(JOB_DESCRIPTORS)} ${r.pick(JOB_AREAS)} ${r.pick(JOB_TYPES)}`,
});

export const FakeIndustryTransform = defineFake('FakeIndustry', {
  format: 'an industry name, e.g. `Logistics`',
  generate: (r) => r.pick(INDUSTRIES),
});

export const FakeProductTransform = defineFake('FakeProduct', {
  format: 'a product noun, e.g. `Chair`',
  generate: (r) => r.pick(PRODUCTS),
});

export const FakeProductNameTransform = defineFake('FakeProductName', {
  format: '`<adjective> <material> <product>`, e.g. `Ergonomic Wooden Chair`',
  supportsUnique: true,
  generate: productName,
});

export const FakeProductDescriptionTransform = defineFake('FakeProductDescription', {
  format: 'one product description sentence',
  generate: productDescription,
});
