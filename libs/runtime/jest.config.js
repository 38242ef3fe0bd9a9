module.exports = {
  ...require('../../jest.preset.js'),
  displayName: '@bosun/runtime',
  rootDir: __dirname,
};
