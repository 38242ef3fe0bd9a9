module.exports = {
  ...require('../../jest.preset.js'),
  displayName: '@bosun/controller-kit',
  rootDir: __dirname,
};
