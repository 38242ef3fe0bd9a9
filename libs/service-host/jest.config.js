module.exports = {
  ...require('../../jest.preset.js'),
  displayName: '@bosun/service-host',
  rootDir: __dirname,
};
