module.exports = {
  ...require('../../jest.preset.js'),
  displayName: '@bosun/cloud-controller-manager-service',
  rootDir: __dirname,
};
