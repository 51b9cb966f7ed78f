import { startPage } from '../ui/shell';
import { mount } from '../views/leaderboards';

startPage('leaderboards', mount);
