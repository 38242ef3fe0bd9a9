module.exports = {
  ...require('../../jest.preset.js'),
  displayName: '@bosun/testing',
  rootDir: __dirname,
};
