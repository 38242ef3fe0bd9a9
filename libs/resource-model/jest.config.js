module.exports = {
  ...require('../../jest.preset.js'),
  displayName: '@bosun/resource-model',
  rootDir: __dirname,
};
