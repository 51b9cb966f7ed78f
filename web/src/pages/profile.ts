import { startPage } from '../ui/shell';
import { mount } from '../views/profile';

startPage('profile', mount);
