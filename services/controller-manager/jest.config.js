module.exports = {
  ...require('../../jest.preset.js'),
  displayName: '@bosun/controller-manager-service',
  rootDir: __dirname,
};
