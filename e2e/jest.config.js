module.exports = {
  ...require('../jest.preset.js'),
  displayName: '@bosun/e2e',
  rootDir: __dirname,
};
