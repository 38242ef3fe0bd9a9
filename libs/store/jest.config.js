module.exports = {
  ...require('../../jest.preset.js'),
  displayName: '@bosun/store',
  rootDir: __dirname,
};
