module.exports = {
  ...require('../../jest.preset.js'),
  displayName: '@bosun/cli',
  rootDir: __dirname,
};
