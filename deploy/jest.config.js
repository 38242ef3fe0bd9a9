module.exports = {
  ...require('../jest.preset.js'),
  displayName: '@bosun/deploy',
  rootDir: __dirname,
};
