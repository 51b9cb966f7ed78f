import { startPage } from '../ui/shell';
import { mount } from '../views/signup';

startPage('signup', mount);
