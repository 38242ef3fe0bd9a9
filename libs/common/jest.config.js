module.exports = {
  ...require('../../jest.preset.js'),
  displayName: '@bosun/common',
  rootDir: __dirname,
};
