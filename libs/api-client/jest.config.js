module.exports = {
  ...require('../../jest.preset.js'),
  displayName: '@bosun/api-client',
  rootDir: __dirname,
};
