export { checkPrerequisites, type Problem } from './prerequisites';
export { bosunHome } from './paths';
export { imageLoad, IMAGE_USAGE } from './commands/image-load';
