module.exports = {
  ...require('../../jest.preset.js'),
  displayName: '@bosun/image',
  rootDir: __dirname,
};
