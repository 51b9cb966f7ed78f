import { startPage } from '../ui/shell';
import { mount } from '../views/signin';

startPage('signin', mount);
