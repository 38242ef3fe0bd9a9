module.exports = {
  ...require('../../jest.preset.js'),
  displayName: '@bosun/api-server-service',
  rootDir: __dirname,
};
