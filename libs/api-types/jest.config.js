module.exports = {
  ...require('../../jest.preset.js'),
  displayName: '@bosun/api-types',
  rootDir: __dirname,
};
