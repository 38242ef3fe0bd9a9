export { checkPrerequisites, type Problem } from './prerequisites';
export { bosunHome } from './paths';
