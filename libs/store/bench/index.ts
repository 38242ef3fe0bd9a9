/** `@bosun/store/bench`: the store's benchmarks, for the bench runner (`npm run bench -- store`). */
export { benchStoreWrites } from './store-writes';
