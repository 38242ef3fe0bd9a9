module.exports = {
  ...require('../../jest.preset.js'),
  displayName: '@bosun/scheduling',
  rootDir: __dirname,
};
